# Security: secretlint (@secretlint/secretlint-rule-preset-recommend, .secretlintrc.json) over every tracked
# file, in make lint. Tracked files only: run/, data/ and .venv hold local tokens and credentials by design.
# Paths are literal (--no-glob); a file deleted in the work tree but still tracked is skipped; the secrets
# found are masked in the output (secretlint's default).
.PHONY: lint-secrets

lint-secrets: node_modules/.package-lock.json
	@echo "== lint secrets (secretlint over the tracked files)"
	git ls-files -z | while IFS= read -r -d '' f; do if [[ -e $$f ]]; then printf '%s\0' "$$f"; fi; done \
		| xargs -0 -r secretlint --no-glob --secretlintrc .secretlintrc.json

LINT_TARGETS += lint-secrets
