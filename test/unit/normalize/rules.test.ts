import assert from "node:assert/strict";
import { normalizeListing, NormalizationInputError } from "../../../transforms/normalize";
import { title } from "./helpers";

describe("normalize: brand and model (docs/normalization.md)", () => {
  it("reads English marketplace titles", () => {
    const r = title("Apple iPhone 13 Pro Max 256GB Sierra Blue - Renewed");
    assert.equal(r.brand, "apple");
    assert.equal(r.model, "iphone 13 pro max");
    assert.equal(r.storage_gb, 256);
    assert.equal(r.color, "sierra blue");
    assert.equal(r.condition, "refurbished");
  });

  it("reads Arabic brand words and Arabic model words", () => {
    assert.deepEqual(pick(title("ايفون ١٣ برو ماكس ٢٥٦")), ["apple", "iphone 13 pro max", 256]);
    assert.deepEqual(pick(title("آيفون 14 بلس 128")), ["apple", "iphone 14 plus", 128]);
    assert.deepEqual(pick(title("سمسونج جالاكسي S23 الترا 512")), ["samsung", "galaxy s23 ultra", 512]);
    assert.deepEqual(pick(title("شاومي ريدمي نوت 13 برو بلس 512")), ["xiaomi", "redmi note 13 pro+", 512]);
    assert.deepEqual(pick(title("وان بلس 13 512 جيجا")), ["oneplus", "13", 512]);
    assert.deepEqual(pick(title("سامسونج زد فولد ٤ ٢٥٦")), ["samsung", "galaxy z fold 4", 256]);
  });

  it("maps sub-brands to their maker and keeps them in the model", () => {
    assert.deepEqual(pick(title("Redmi Note 13 Pro+ 512GB")), ["xiaomi", "redmi note 13 pro+", 512]);
    assert.deepEqual(pick(title("POCO X6 Pro 5G 256GB")), ["xiaomi", "poco x6 pro", 256]);
    assert.deepEqual(pick(title("Galaxy A54 128GB")), ["samsung", "galaxy a54", 128]);
    assert.deepEqual(pick(title("بوكو اف ٥ ٢٥٦")), ["xiaomi", "poco f5", 256]);
  });

  it("drops the brand word, network suffixes, SIM and region words", () => {
    const r = title("Samsung Galaxy A55 Dual SIM Awesome Navy 8GB RAM 256GB 5G - Middle East Version");
    assert.equal(r.model, "galaxy a55");
    assert.equal(title("Xiaomi 13T Pro 5G 512GB").model, "13t pro");
    assert.equal(title("realme 11 Pro+ 5G LTE").model, "11 pro+");
  });

  it("writes + where the maker does and plus where it is a word", () => {
    assert.equal(title("Samsung Galaxy S22 Plus 256").model, "galaxy s22+");
    assert.equal(title("Galaxy S22+ 256GB").model, "galaxy s22+");
    assert.equal(title("iPhone 14 Plus 128").model, "iphone 14 plus");
    assert.equal(title("Redmi Note 13 Pro Plus").model, "redmi note 13 pro+");
  });

  it("splits digits glued to series words: Fold5, Magic5, iphone13promax", () => {
    assert.equal(title("Samsung Galaxy Z Fold5 512GB").model, "galaxy z fold 5");
    assert.equal(title("samsung Fold5 1tb").model, "galaxy z fold 5");
    assert.equal(title("Honor Magic5 Pro").model, "magic 5 pro");
    assert.equal(title("iphone13promax 256g").model, "iphone 13 pro max");
    assert.equal(title("OPPO Reno11F 256").model, "reno 11 f");
  });

  it("keeps letter suffixes and does not stop inside a word (13c, x9b, 14t)", () => {
    assert.equal(title("Xiaomi Redmi 13C 128GB").model, "redmi 13c");
    assert.equal(title("Honor X9b 256GB").model, "x9b");
    assert.equal(title("شاومي 14T برو 512").model, "14t pro");
    assert.equal(title("Huawei nova 11i 128GB").model, "nova 11i");
  });

  it("survives typos: Pro Mx, bro max, lphon, ifone, samsong, b for p", () => {
    assert.equal(title("Iphone 13 Pro Mx 128").model, "iphone 13 pro max");
    assert.equal(title("iphone 12 bro max 256").model, "iphone 12 pro max");
    const l = title("lphon 13 128");
    assert.deepEqual([l.brand, l.model], ["apple", "iphone 13"]);
    assert.equal(title("ifone 14 pro max 512").model, "iphone 14 pro max");
    assert.equal(title("samsong s21 fe 128").brand, "samsung");
    assert.equal(title("bixel 6a 128").model, "pixel 6a");
    assert.equal(title("redminote 11 128").model, "redmi note 11");
  });

  it("lowers the confidence of typo-corrected matches", () => {
    assert.ok(title("lphon 13 bro max").confidence < title("iPhone 13 Pro Max").confidence);
  });

  it("uses the brand to choose between makers that share a model name", () => {
    assert.equal(title("Samsung A54 128").brand, "samsung");
    assert.deepEqual(pick(title("Oppo A54 128")), ["oppo", "a54", 128]);
    assert.deepEqual(pick(title("OnePlus 12 256GB")), ["oneplus", "12", 256]);
    assert.deepEqual(pick(title("Xiaomi 12 256GB")), ["xiaomi", "12", 256]);
  });

  it("reads Latin letters spelled in Arabic (اي is A or I, اف is F, تي is T)", () => {
    assert.equal(title("سامسونج جالاكسي اي ٣٤ ٨ رام ١٢٨").model, "galaxy a34");
    assert.equal(title("هواوي نوفا ١١ اي ١٢٨").model, "nova 11i");
    assert.equal(title("اوبو رينو ١١ اف ٢٥٦").model, "reno 11 f");
    assert.equal(title("وان بلس نورد ٢ تي ٨/١٢٨").model, "nord 2t");
  });

  it("keeps variant words the catalog does not list, with a confidence that flags the model", () => {
    const r = title("Infinix Note 40 Pro+ 12/256");
    assert.equal(r.model, "note 40 pro+");
    assert.ok(r.confidence < 0.5);
  });

  it("keeps unknown models with a low confidence instead of dropping them", () => {
    const r = title("Honor X9d 8/256");
    assert.equal(r.brand, "honor");
    assert.equal(r.model, "x9d");
    assert.ok(r.confidence < 0.5);
    const none = title("موبايل للبيع");
    assert.equal(none.model, null);
    assert.equal(none.brand, null);
    assert.ok(none.confidence <= 0.2);
  });
});

describe("normalize: storage and RAM", () => {
  it("never takes RAM for storage", () => {
    assert.deepEqual(specs(title("Redmi Note 12 8/256")), [256, 8]);
    assert.deepEqual(specs(title("Galaxy A54 8GB+256GB")), [256, 8]);
    assert.deepEqual(specs(title("Poco F6 Pro 12GB RAM 512GB")), [512, 12]);
    assert.deepEqual(specs(title("ايفون 13 Pro Max رامات 6 جيجابايت 256 جيجابايت")), [256, 6]);
    assert.deepEqual(specs(title("سامسونج a52 رام ٨ مساحه ١٢٨")), [128, 8]);
    assert.deepEqual(specs(title("Samsung S21 Ultra 512 16 ram")), [512, 16]);
    assert.deepEqual(specs(title("Realme c55 8+8 ram 256")), [256, 8]);
    assert.deepEqual(specs(title("honor 90 256/12")), [256, 12]);
    const spaced = title("Samsung Galaxy S23 Ultra 5G (12GB RAM + 512GB) Green");
    assert.deepEqual([spaced.model, spaced.storage_gb, spaced.ram_gb], ["galaxy s23 ultra", 512, 12]);
  });

  it("reads 1TB, تيرا and الف جيجا as 1024", () => {
    assert.equal(title("iPhone 15 Pro Max 1TB").storage_gb, 1024);
    assert.equal(title("ايفون ١٤ برو ١ تيرا").storage_gb, 1024);
    assert.equal(title("ايفون 15 برو ماكس الف جيجا").storage_gb, 1024);
  });

  it("snaps obvious typos to a real capacity (265GB → 256)", () => {
    assert.equal(title("Ifone 11 pro max 265 gb").storage_gb, 256);
    assert.equal(title("ايفون 11 برو 265 جيجا").storage_gb, 256);
    assert.equal(title("galaxy a54 500gb").storage_gb, 512);
  });

  it("reads a bare capacity after the model, but not the model number", () => {
    assert.equal(title("iphone 13 pro max 256").storage_gb, 256);
    assert.equal(title("Galaxy A32 64GB").storage_gb, 64);
    assert.equal(title("Galaxy A32").storage_gb, null);
  });

  it("does not read the network generation as a size", () => {
    assert.deepEqual(specs(title("Redmi Note 14 Pro 4G رامات 8 جيجابايت 256 جيجابايت")), [256, 8]);
    assert.deepEqual(specs(title("Galaxy A55 5G 8GB RAM 256GB")), [256, 8]);
  });

  it("reads Arabic-Indic digits", () => {
    assert.deepEqual(specs(title("هونر x8a ٦/١٢٨")), [128, 6]);
    assert.deepEqual(specs(title("انفنكس نوت 30 برو ٨ رام ٢٥٦ مساحة")), [256, 8]);
  });
});

describe("normalize: colour", () => {
  it("reads English colour names and Arabic colours", () => {
    assert.equal(title("iPhone 14 Pro Deep Purple 128").color, "deep purple");
    assert.equal(title("ايفون 13 128 أزرق").color, "blue");
    assert.equal(title("ايفون 13 Pro Max 256 أزرق فاتح").color, "light blue");
    assert.equal(title("وان بلس 13 اسود فانتوم").color, "phantom black");
    assert.equal(title("ايفون 13 128 أسود (Midnight)").color, "midnight");
    assert.equal(title("Galaxy S24 Ultra Titanium Gray 512").color, "titanium gray");
  });

  it("ignores a truncated bracketed name and the SIM word", () => {
    assert.equal(title("ايفون 13 Pro Max 256 أزرق (Sierra ...").color, "blue");
    assert.equal(title("Galaxy A15 Dual SIM Black 128GB").color, "black");
    assert.equal(title("iphone 13 128").color, null);
  });
});

describe("normalize: condition", () => {
  const cond = (t: string, badge?: string): string | null =>
    normalizeListing({ title: t, condition_text: badge ?? null }).condition;

  it("new: new, brand new, sealed, جديد, متبرشم", () => {
    assert.equal(cond("iphone 15 128 brand new"), "new");
    assert.equal(cond("iPhone 13 mini 128 sealed"), "new");
    assert.equal(cond("ايفون ١٥ ١٢٨ جديد"), "new");
    assert.equal(cond("ايفون ١٤ برو متبرشم"), "new");
  });

  it("like_new: like new, open box, mint, كسر زيرو, زيرو — but not زيرو ضريبة", () => {
    assert.equal(cond("galaxy z fold4 512gb like new"), "like_new");
    assert.equal(cond("iPhone 16 Pro 256GB open box"), "like_new");
    assert.equal(cond("pixel 7 mint condition"), "like_new");
    assert.equal(cond("Samsung S21 ultra 12+256 كسر زيرو"), "like_new");
    assert.equal(cond("ايفون 15 128 جيجا حالة الزيرو"), "like_new");
    assert.equal(cond("Honor X8a 6/128 زي الجديد"), "like_new");
    assert.equal(cond("ريدمي نوت ١١ برو 8/128 زيرو ضريبة"), null);
    assert.equal(cond("xiaomi 13t pro zero tax"), null);
  });

  it("refurbished: renewed, refurbished, متجدد", () => {
    assert.equal(cond("Apple iPhone 11 64GB White - Renewed"), "refurbished");
    assert.equal(cond("poco x5 pro refurbished"), "refurbished");
    assert.equal(cond("ايفون 12 برو ماكس متجدد"), "refurbished");
  });

  it("used: used, مستعمل and grade words (excellent, very good, ممتاز, نضيف)", () => {
    assert.equal(cond("Huawei p30 pro used"), "used");
    assert.equal(cond("هواوي نوفا ٩ مستعمل"), "used");
    assert.equal(cond("vivo v29 excellent condition"), "used");
    assert.equal(cond("سامسونج a52 حاله ممتازه"), "used");
    assert.equal(cond("هونر x8a نضيف جدا"), "used");
    assert.equal(cond("Galaxy A54 256", "very good"), "used");
  });

  it("null when nothing says it; battery health and warranty do not decide", () => {
    assert.equal(cond("iphone 13 128"), null);
    assert.equal(cond("ايفون 13 رامات 4 جيجابايت 128 جيجابايت أزرق", "90%"), null);
    assert.equal(cond("ايفون 13 128", "ضمان دولي 12 شهر"), null);
    assert.equal(cond("iphone 11 64gb battery 100% new battery"), null);
  });

  it("does not read model or colour words as conditions (Infinix Zero 30, Mint colour)", () => {
    assert.equal(cond("Infinix Zero 30 5G 12GB RAM 256GB"), null);
    assert.equal(title("Samsung Galaxy Z Flip5 Dual SIM Mint 8GB RAM 256GB").color, "mint");
    assert.equal(cond("Samsung Galaxy Z Flip5 Dual SIM Mint 8GB RAM 256GB"), null);
  });
});

describe("normalize: listing type", () => {
  it("wanted for مطلوب, مطلوب للشراء, wanted, looking for", () => {
    assert.equal(title("مطلوب ايفون 13 برو ماكس").listing_type, "wanted");
    assert.equal(title("مطلوب للشراء ريلمي 12 برو بلس").listing_type, "wanted");
    assert.equal(title("Wanted: Samsung Galaxy S24 Ultra").listing_type, "wanted");
    assert.equal(title("looking for galaxy note 20 ultra").listing_type, "wanted");
  });

  it("sale otherwise, including the asking price (السعر المطلوب)", () => {
    assert.equal(title("iphone 13 128").listing_type, "sale");
    assert.equal(title("ايفون 13 ١٢٨ السعر المطلوب ٢٥ الف").listing_type, "sale");
  });
});

describe("normalize: input validation", () => {
  it("throws NormalizationInputError for a missing, empty or non-string title", () => {
    const bad: unknown[] = [
      null,
      "x",
      {},
      { title: "" },
      { title: "   " },
      { title: 42 },
      { title: "a", price_text: {} },
    ];
    for (const input of bad) {
      assert.throws(() => normalizeListing(input as { title: string }), NormalizationInputError);
    }
  });
});

function pick(r: { brand: string | null; model: string | null; storage_gb: number | null }): unknown[] {
  return [r.brand, r.model, r.storage_gb];
}

function specs(r: { storage_gb: number | null; ram_gb: number | null }): unknown[] {
  return [r.storage_gb, r.ram_gb];
}
