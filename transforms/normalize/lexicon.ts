/**
 * Latin word lists: Franco and merged spellings mapped to the English tokens the rules work on, plus the
 * English vocabulary that is not a model name (so typo correction leaves it alone). The Arabic words are
 * in lexicon-arabic.ts.
 */

/**
 * Latin spellings that are not typos of one model word by a single edit: merged words, Franco-Arabic,
 * vowel-dropped abbreviations. Anything else is left to the generic typo correction in lexical.ts.
 */
export const LATIN_ALIASES: ReadonlyMap<string, readonly string[]> = new Map<string, string[]>(
  Object.entries({
    promax: ["pro", "max"],
    prmax: ["pro", "max"],
    promx: ["pro", "max"],
    bromax: ["pro", "max"],
    mx: ["max"],
    pr: ["pro"],
    ultr: ["ultra"],
    ult: ["ultra"],
    iph: ["iphone"],
    ifon: ["iphone"],
    aifon: ["iphone"],
    ayfon: ["iphone"],
    ayphone: ["iphone"],
    aiphone: ["iphone"],
    iphones: ["iphone"],
    samsong: ["samsung"],
    sumsung: ["samsung"],
    samsang: ["samsung"],
    sam: ["samsung"],
    glaxy: ["galaxy"],
    shaomi: ["xiaomi"],
    xaomi: ["xiaomi"],
    "1plus": ["oneplus"],
    huwaei: ["huawei"],
    hauwei: ["huawei"],
    infnix: ["infinix"],
    techno: ["tecno"],
    pluss: ["plus"],
    ksr: ["kasr"],
    zeero: ["zero"],
    zirow: ["zero"],
    ziro: ["zero"],
    renew: ["renewed"],
    refurb: ["refurbished"],
    grey: ["gray"],
    wtb: ["wanted"],
  }),
);

/** Network suffixes dropped from models. */
export const NETWORK_WORDS: ReadonlySet<string> = new Set(["lte", "volte", "nfc5g"]);

/**
 * English words that are not model names. Typo correction never rewrites them (e.g. `mint` must not
 * become `mini`, `like` must not become `lite`).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an and or the with without for of in on to by from at as is it its any all only one two " +
    "dual single sim esim nano physical middle east version global international chinese china uae ksa " +
    "egypt european us usa eu hk region official warranty local month months year years facetime face time " +
    "new brand sealed like open box mint zero kasr used renewed refurbished excellent very good fair perfect " +
    "condition clean scratch scratches scratched cracked broken clear original copy high copy first " +
    "battery health screen case cover charger cable headphones accessories back glass housing box " +
    "ram storage gb tb mb rom memory wanted looking want buy buying sale sell selling price asking budget " +
    "negotiable fixed final cash installment trade swap exchange urgent free delivery shipping " +
    "black white blue green red pink gold silver gray purple yellow orange beige navy brown cream lavender " +
    "violet cyan turquoise titanium graphite midnight starlight obsidian porcelain hazel charcoal snow coral " +
    "light dark deep space rose natural desert phantom awesome sierra alpine pacific product jet matte ice " +
    "sky ocean lime mint sea tax customs phone mobile smartphone smart cell cellular unlocked locked " +
    "inch inches camera mp mah hz amoled display processor snapdragon dimensity helio exynos bionic chip " +
    "kit set pack bundle gift"
  ).split(" "),
);

/** Words around `new` that make it describe an accessory, not the phone (`new battery`). */
export const ACCESSORY_WORDS: ReadonlySet<string> = new Set([
  "battery",
  "screen",
  "case",
  "cover",
  "charger",
  "cable",
  "glass",
  "housing",
  "back",
  "headphones",
]);
