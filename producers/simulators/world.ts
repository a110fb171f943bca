import { Rng } from "./prng";

/**
 * The simulated marketplace: a catalog of phones with late-2025 Egyptian market prices, listings of them
 * in various conditions priced near market, sellers and users. Built deterministically from a seed.
 */
export interface CatalogModel {
  key: string;
  /** Titles as sellers write them (English and Arabic). */
  titles: readonly string[];
  /** Search queries users type for it. */
  queries: readonly string[];
  colors: readonly string[];
  /** Typical price of a new unit, EGP. */
  newPriceEgp: number;
  /** Relative popularity (views, searches and orders follow it). */
  popularity: number;
}

export const CATALOG: readonly CatalogModel[] = [
  {
    key: "iphone-13-128",
    titles: ["iPhone 13 128GB", "ايفون 13 128 جيجا", "Apple iPhone 13 128GB"],
    queries: ["iphone 13", "ايفون 13", "آيفون ١٣"],
    colors: ["Midnight", "Blue", "Pink", "Starlight"],
    newPriceEgp: 32000,
    popularity: 100,
  },
  {
    key: "iphone-13-pro-max-256",
    titles: ["iPhone 13 Pro Max 256GB", "ايفون 13 برو ماكس 256 جيجا"],
    queries: ["iphone 13 pro max", "ايفون 13 برو ماكس"],
    colors: ["Sierra Blue", "Graphite", "Gold"],
    newPriceEgp: 47000,
    popularity: 70,
  },
  {
    key: "iphone-14-128",
    titles: ["iPhone 14 128GB", "ايفون 14 128 جيجا"],
    queries: ["iphone 14", "ايفون 14"],
    colors: ["Midnight", "Purple", "Blue"],
    newPriceEgp: 38000,
    popularity: 65,
  },
  {
    key: "iphone-14-pro-max-256",
    titles: ["iPhone 14 Pro Max 256GB", "ايفون 14 برو ماكس 256"],
    queries: ["iphone 14 pro max", "14 pro max"],
    colors: ["Deep Purple", "Space Black", "Gold"],
    newPriceEgp: 60000,
    popularity: 55,
  },
  {
    key: "iphone-15-128",
    titles: ["iPhone 15 128GB", "ايفون 15 128 جيجا"],
    queries: ["iphone 15", "ايفون 15"],
    colors: ["Black", "Pink", "Green"],
    newPriceEgp: 45000,
    popularity: 60,
  },
  {
    key: "iphone-15-pro-max-256",
    titles: ["iPhone 15 Pro Max 256GB", "ايفون 15 برو ماكس 256 جيجا"],
    queries: ["iphone 15 pro max", "15 برو ماكس"],
    colors: ["Natural Titanium", "Black Titanium"],
    newPriceEgp: 68000,
    popularity: 50,
  },
  {
    key: "iphone-11-64",
    titles: ["iPhone 11 64GB", "ايفون 11 64 جيجا"],
    queries: ["iphone 11", "ايفون 11"],
    colors: ["Black", "White", "Red"],
    newPriceEgp: 17000,
    popularity: 45,
  },
  {
    key: "galaxy-a55-256",
    titles: ["Samsung Galaxy A55 8GB 256GB", "سامسونج جالاكسي A55 رامات 8 مساحة 256"],
    queries: ["galaxy a55", "سامسونج a55"],
    colors: ["Awesome Navy", "Awesome Iceblue"],
    newPriceEgp: 19000,
    popularity: 60,
  },
  {
    key: "galaxy-a35-256",
    titles: ["Samsung Galaxy A35 8/256", "سامسونج A35 256 جيجا"],
    queries: ["a35", "galaxy a35"],
    colors: ["Awesome Navy", "Awesome Lilac"],
    newPriceEgp: 15000,
    popularity: 40,
  },
  {
    key: "galaxy-s23-ultra-256",
    titles: ["Samsung Galaxy S23 Ultra 12GB RAM 256GB", "سامسونج S23 الترا 256"],
    queries: ["s23 ultra", "سامسونج s23 الترا"],
    colors: ["Phantom Black", "Green", "Cream"],
    newPriceEgp: 48000,
    popularity: 45,
  },
  {
    key: "galaxy-a15-128",
    titles: ["Samsung Galaxy A15 4GB 128GB", "سامسونج A15 128"],
    queries: ["galaxy a15", "a15"],
    colors: ["Blue Black", "Light Blue"],
    newPriceEgp: 7800,
    popularity: 35,
  },
  {
    key: "redmi-note-13-pro-256",
    titles: ["Xiaomi Redmi Note 13 Pro 8/256", "شاومي ريدمي نوت 13 برو 256 جيجا"],
    queries: ["redmi note 13 pro", "ريدمي نوت 13 برو"],
    colors: ["Midnight Black", "Forest Green"],
    newPriceEgp: 12500,
    popularity: 50,
  },
  {
    key: "redmi-13c-256",
    titles: ["Redmi 13C 8GB RAM 256GB", "ريدمي 13C رامات 8 مساحة 256"],
    queries: ["redmi 13c", "ريدمي 13c"],
    colors: ["Midnight Black", "Clover Green"],
    newPriceEgp: 7000,
    popularity: 35,
  },
  {
    key: "poco-x6-pro-256",
    titles: ["Poco X6 Pro 8/256", "بوكو X6 برو 256"],
    queries: ["poco x6 pro", "بوكو x6"],
    colors: ["Black", "Yellow"],
    newPriceEgp: 14000,
    popularity: 25,
  },
  {
    key: "reno-11-f-256",
    titles: ["Oppo Reno 11 F 8GB 256GB", "اوبو رينو 11 F 256 جيجا"],
    queries: ["reno 11 f", "اوبو رينو 11"],
    colors: ["Ocean Blue", "Palm Green"],
    newPriceEgp: 14500,
    popularity: 25,
  },
  {
    key: "realme-11-pro-plus-512",
    titles: ["Realme 11 Pro+ 12/512", "ريلمي 11 برو بلس 512"],
    queries: ["realme 11 pro+", "ريلمي 11 برو"],
    colors: ["Sunrise Beige", "Astral Black"],
    newPriceEgp: 16000,
    popularity: 18,
  },
  {
    key: "infinix-note-30-pro-256",
    titles: ["Infinix Note 30 Pro 8GB 256GB", "انفينكس نوت 30 برو 256"],
    queries: ["infinix note 30 pro", "انفينكس نوت 30"],
    colors: ["Magic Black", "Variable Gold"],
    newPriceEgp: 9000,
    popularity: 22,
  },
  {
    key: "honor-magic-6-pro-512",
    titles: ["Honor Magic 6 Pro 12/512", "هونر ماجيك 6 برو 512"],
    queries: ["honor magic 6 pro", "هونر ماجيك 6"],
    colors: ["Black", "Epi Green"],
    newPriceEgp: 46000,
    popularity: 10,
  },
  {
    key: "nova-11i-128",
    titles: ["Huawei nova 11i 8GB 128GB", "هواوي نوفا 11i 128"],
    queries: ["nova 11i", "هواوي نوفا"],
    colors: ["Starry Black", "Mint Green"],
    newPriceEgp: 8200,
    popularity: 12,
  },
];

export type Condition = "new" | "like_new" | "used" | "refurbished";
export const CONDITIONS: readonly Condition[] = ["new", "like_new", "used", "refurbished"];
const CONDITION_SHARE = [0.15, 0.2, 0.55, 0.1];
/** Price of a unit in this condition relative to new. */
const CONDITION_FACTOR: Record<Condition, number> = { new: 1, like_new: 0.88, used: 0.76, refurbished: 0.8 };

export interface Listing {
  listingId: string;
  model: CatalogModel;
  sellerId: string;
  title: string;
  condition: Condition;
  priceEgp: number;
  weight: number;
}

export interface User {
  userId: string;
  device: "android" | "ios" | "web";
  /** How active the user is relative to others (heavy-tailed). */
  weight: number;
}

export const DEVICES = ["android", "ios", "web"] as const;

export class World {
  readonly listings: Listing[] = [];
  readonly users: User[] = [];
  readonly sellers: string[] = [];
  private nextListing = 1;
  /** Running sums of user weights, for O(log n) weighted picks. */
  private readonly userCumulative: number[];

  constructor(
    readonly rng: Rng,
    opts: { listings?: number; users?: number; sellers?: number } = {},
  ) {
    const nSellers = opts.sellers ?? 80;
    for (let i = 1; i <= nSellers; i++)
      this.sellers.push(
        i <= 25 ? `store-${String(i).padStart(3, "0")}` : `seller-${String(i).padStart(5, "0")}`,
      );
    for (let i = 1; i <= (opts.users ?? 3000); i++) {
      const device = rng.weighted(DEVICES, [0.68, 0.2, 0.12]);
      // Pareto-like activity: a few users do most of the browsing.
      this.users.push({
        userId: `user-${String(i).padStart(6, "0")}`,
        device,
        weight: 1 / Math.pow(1 - rng.next() * 0.98, 0.8),
      });
    }
    this.userCumulative = [];
    let acc = 0;
    for (const u of this.users) this.userCumulative.push((acc += u.weight));
    for (let i = 0; i < (opts.listings ?? 400); i++) this.listings.push(this.newListing());
  }

  /** A fresh listing: popular models more often, priced near market for its condition. */
  newListing(): Listing {
    const rng = this.rng;
    const model = rng.weighted(
      CATALOG,
      CATALOG.map((m) => m.popularity),
    );
    const condition = rng.weighted(CONDITIONS, CONDITION_SHARE);
    const noise = Math.max(-0.2, Math.min(0.2, rng.normal() * 0.06));
    const priceEgp = Math.max(
      500,
      Math.round((model.newPriceEgp * CONDITION_FACTOR[condition] * (1 + noise)) / 50) * 50,
    );
    const store = rng.chance(0.6);
    const sellerId = store
      ? this.sellers[rng.int(0, 24)]
      : this.sellers[rng.int(25, this.sellers.length - 1)];
    const title = `${rng.pick(model.titles)} ${rng.pick(model.colors)}${condition === "new" ? " - جديد" : condition === "like_new" ? " كسر زيرو" : ""}`;
    const id = `lst-${String(this.nextListing++).padStart(7, "0")}`;
    return { listingId: id, model, sellerId, title, condition, priceEgp, weight: model.popularity };
  }

  pickListing(): Listing {
    return this.rng.weighted(
      this.listings,
      this.listings.map((l) => l.weight),
    );
  }

  pickUser(): User {
    const cum = this.userCumulative;
    const r = this.rng.next() * cum[cum.length - 1];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return this.users[lo];
  }

  /** A sold listing leaves the market and a new one takes its place. */
  replaceListing(listingId: string): void {
    const i = this.listings.findIndex((l) => l.listingId === listingId);
    if (i >= 0) this.listings[i] = this.newListing();
  }
}
