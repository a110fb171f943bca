import { Rng } from "./prng";
import { CATALOG, Listing, World } from "./world";

/** Values shaped exactly like schemas/avro/marketplace.transactions.avsc and marketplace.user_activity.avsc. */
export interface TransactionEvent {
  event_id: string;
  transaction_id: string;
  event_type: "order_placed" | "payment_captured" | "sale_completed" | "refund_issued";
  listing_id: string;
  buyer_id: string;
  seller_id: string;
  product_title: string;
  condition: string | null;
  amount: number;
  currency: string;
  payment_method: string | null;
  occurred_at: number;
}

export interface ActivityEvent {
  event_id: string;
  user_id: string;
  session_id: string;
  activity_type: "listing_view" | "search" | "favourite_added" | "seller_contacted";
  listing_id: string | null;
  search_query: string | null;
  device: string | null;
  occurred_at: number;
}

export const TRANSACTIONS_TOPIC = "marketplace.transactions";
export const ACTIVITY_TOPIC = "marketplace.user_activity";

export type SimEvent =
  | { topic: typeof TRANSACTIONS_TOPIC; key: string; value: TransactionEvent }
  | { topic: typeof ACTIVITY_TOPIC; key: string; value: ActivityEvent };

const PAYMENT_METHODS = ["cash_on_delivery", "card", "wallet", "instapay"] as const;
const PAYMENT_SHARE = [0.45, 0.25, 0.15, 0.15];

interface PendingStep {
  dueAt: number;
  type: TransactionEvent["event_type"];
  order: Omit<TransactionEvent, "event_id" | "event_type" | "occurred_at">;
}

/**
 * Orders over the world's listings: order_placed, then (for most) payment_captured and sale_completed, and
 * a few refund_issued. Follow-up steps are scheduled after the order in simulated seconds (compressed from
 * hours/days so a short run shows whole lifecycles) and are emitted in the first slot after they fall due.
 */
export class TransactionGenerator {
  private pending: PendingStep[] = [];
  private orders = 0;

  constructor(
    private readonly world: World,
    private readonly rng: Rng,
  ) {}

  next(at: number): SimEvent {
    const rng = this.rng;
    this.pending.sort((a, b) => a.dueAt - b.dueAt);
    const due = this.pending[0];
    if (due && due.dueAt <= at) {
      this.pending.shift();
      if (due.type === "sale_completed") {
        this.world.replaceListing(due.order.listing_id);
        if (rng.chance(0.04)) this.schedule(at + rng.int(60, 600) * 1000, "refund_issued", due.order);
      }
      if (due.type === "payment_captured" && due.order.payment_method !== "cash_on_delivery") {
        this.schedule(at + rng.int(30, 300) * 1000, "sale_completed", due.order);
      }
      if (due.type === "sale_completed" && due.order.payment_method === "cash_on_delivery") {
        // Cash is collected at delivery, right after the hand-over.
        this.schedule(at + rng.int(1, 20) * 1000, "payment_captured", due.order);
      }
      return this.emit(due.type, due.order, at);
    }
    const listing: Listing = this.world.pickListing();
    const buyer = this.world.pickUser();
    this.orders++;
    const order = {
      transaction_id: `ord-${String(this.orders).padStart(8, "0")}-${rng.hex(6)}`,
      listing_id: listing.listingId,
      buyer_id: buyer.userId,
      seller_id: listing.sellerId,
      product_title: listing.title,
      condition: listing.condition,
      // Buyers sometimes negotiate a little off the asking price.
      amount: rng.chance(0.3) ? Math.round(listing.priceEgp * (1 - rng.next() * 0.05)) : listing.priceEgp,
      currency: "EGP",
      payment_method: rng.weighted(PAYMENT_METHODS, PAYMENT_SHARE),
    };
    if (!rng.chance(0.08)) {
      // 8 % of orders are abandoned after placing them.
      if (order.payment_method === "cash_on_delivery")
        this.schedule(at + rng.int(60, 400) * 1000, "sale_completed", order);
      else this.schedule(at + rng.int(2, 30) * 1000, "payment_captured", order);
    }
    return this.emit("order_placed", order, at);
  }

  private schedule(dueAt: number, type: PendingStep["type"], order: PendingStep["order"]): void {
    this.pending.push({ dueAt, type, order });
  }

  private emit(type: TransactionEvent["event_type"], order: PendingStep["order"], at: number): SimEvent {
    const value: TransactionEvent = {
      event_id: this.rng.uuid(),
      event_type: type,
      ...order,
      occurred_at: at,
    };
    return { topic: TRANSACTIONS_TOPIC, key: order.transaction_id, value };
  }
}

interface Session {
  sessionId: string;
  userId: string;
  device: string;
  /** Catalog model the user is looking at, after a search. */
  focus: number | null;
  lastViewed: Listing | null;
}

/**
 * Browsing sessions: users search (mixed Arabic and English queries), view listings (mostly of the model
 * they searched, popular models more), add favourites and contact sellers; sessions start and end.
 */
export class ActivityGenerator {
  private sessions: Session[] = [];
  private sessionCount = 0;

  constructor(
    private readonly world: World,
    private readonly rng: Rng,
  ) {}

  private startSession(): Session {
    const user = this.world.pickUser();
    this.sessionCount++;
    const s: Session = {
      sessionId: `ses-${this.rng.hex(12)}`,
      userId: user.userId,
      device: user.device,
      focus: null,
      lastViewed: null,
    };
    this.sessions.push(s);
    return s;
  }

  next(at: number): SimEvent {
    const rng = this.rng;
    const s: Session =
      this.sessions.length === 0 || (this.sessions.length < 60 && rng.chance(0.15))
        ? this.startSession()
        : rng.pick(this.sessions);
    let type: ActivityEvent["activity_type"];
    let listingId: string | null = null;
    let query: string | null = null;
    const r = rng.next();
    if (s.lastViewed === null ? r < 0.55 : r < 0.12) {
      type = "search";
      s.focus = CATALOG.indexOf(
        rng.weighted(
          CATALOG,
          CATALOG.map((m) => m.popularity),
        ),
      );
      query = rng.pick(CATALOG[s.focus].queries);
    } else if (s.lastViewed !== null && r < 0.2) {
      type = "favourite_added";
      listingId = s.lastViewed.listingId;
    } else if (s.lastViewed !== null && r < 0.26) {
      type = "seller_contacted";
      listingId = s.lastViewed.listingId;
    } else {
      type = "listing_view";
      const focusModel = s.focus === null ? null : CATALOG[s.focus];
      const focused = focusModel === null ? [] : this.world.listings.filter((l) => l.model === focusModel);
      const l = focused.length > 0 && rng.chance(0.75) ? rng.pick(focused) : this.world.pickListing();
      s.lastViewed = l;
      listingId = l.listingId;
    }
    if (rng.chance(0.08)) this.sessions.splice(this.sessions.indexOf(s), 1);
    const value: ActivityEvent = {
      event_id: rng.uuid(),
      user_id: s.userId,
      session_id: s.sessionId,
      activity_type: type,
      listing_id: listingId,
      search_query: query,
      device: s.device,
      occurred_at: at,
    };
    return { topic: ACTIVITY_TOPIC, key: s.userId, value };
  }
}
