"""When a newly trained model replaces the current one, no I/O."""

from __future__ import annotations

COVERAGE_BAND = (0.7, 0.9)


def decide(candidate: dict, current: dict | None) -> tuple[bool, str]:
    """(promote?, why) from the backtest metrics of the candidate and of the current model (None: none yet).
    The candidate must beat the current MdAPE and keep its interval honest (coverage within COVERAGE_BAND)."""
    lo, hi = COVERAGE_BAND
    cov, err = candidate.get("coverage_80"), candidate.get("mdape")
    if err is None or err != err:
        return False, "candidate has no backtest MdAPE"
    if cov is None or not lo <= cov <= hi:
        return False, f"candidate's 80 % interval coverage {cov} is outside {lo}-{hi}"
    if current is None:
        return True, "no current model"
    if err < current["mdape"]:
        return True, f"MdAPE {err:.4f} beats the current {current['mdape']:.4f}"
    return False, f"MdAPE {err:.4f} does not beat the current {current['mdape']:.4f}"
