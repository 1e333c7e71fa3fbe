import type { ColumnType, Generated, Kysely } from 'kysely';

/**
 * Row types of every table, as both engines return them: `numeric` and `int8` as strings (exact),
 * `timestamptz` as Date, `jsonb` parsed, `text[]` as string[]. Column names are the SQL names (no case
 * conversion plugin); repositories map rows to camelCase records.
 */

/** An exact decimal as PostgreSQL prints it; repositories turn it into scaled bigints. */
export type Numeric = string;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Read parsed; written as JSON text (pg would turn a top-level array into a PostgreSQL array). */
export type Json = ColumnType<unknown, string, string>;

export interface CurrenciesTable {
  code: string;
  minor_units: number;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string | null;
  role: ColumnType<string, string | undefined, string>;
  base_currency: string;
  disabled_at: Timestamp | null;
  token_version: Generated<number>;
  /** Moved by triggers with every change to the user's accounts or holdings (int8: read as a string). */
  ledger_version: ColumnType<string, never, never>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface AdvisorClientsTable {
  advisor_id: string;
  client_id: string;
  created_at: DefaultTimestamp;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  replaced_by: string | null;
  revoked_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface ApiClientsTable {
  id: Generated<string>;
  client_id: string;
  secret_hash: string;
  name: string;
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  disabled_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface AccountsTable {
  id: Generated<string>;
  owner_id: string;
  name: string;
  base_currency: string;
  closed_at: Timestamp | null;
  created_at: DefaultTimestamp;
  /** 'average' (the default) or 'fifo': how the account's holdings take the cost of what they sell. */
  cost_basis_method: ColumnType<string, string | undefined, string>;
}

export interface InstrumentsTable {
  id: Generated<string>;
  symbol: string;
  name: string;
  asset_class: string;
  currency: string;
  exchange: string | null;
  isin: string | null;
  amfi_code: string | null;
  /** 'market' (priced by the data sources) or 'manual' (priced by hand). */
  price_source: ColumnType<string, string | undefined, string>;
  liability: ColumnType<boolean, boolean | undefined, boolean>;
  /** Who added it (an investor may price the manual assets they created). */
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface InstrumentIdentifiersTable {
  instrument_id: string;
  source: string;
  identifier: string;
}

export interface InstrumentRequestsTable {
  id: Generated<string>;
  requested_by: string;
  source: string;
  source_symbol: string;
  candidate: Json;
  status: ColumnType<string, string | undefined, string>;
  instrument_id: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
  created_at: DefaultTimestamp;
}

export interface TransactionsTable {
  id: Generated<string>;
  account_id: string;
  type: string;
  instrument_id: string | null;
  trade_date: Timestamp;
  sequence: ColumnType<string, never, never>;
  quantity: Numeric | null;
  price: Numeric | null;
  fee: ColumnType<Numeric, Numeric | undefined, Numeric>;
  amount: Numeric | null;
  currency: string;
  split_from: number | null;
  split_to: number | null;
  idempotency_key: string | null;
  note: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface HoldingsTable {
  account_id: string;
  instrument_id: string;
  currency: string;
  quantity: Numeric;
  cost_basis: Numeric;
  realized_gain: Numeric;
  dividends: Numeric;
  updated_at: DefaultTimestamp;
}

export interface PriceHistoryTable {
  instrument_id: string;
  as_of: Timestamp;
  price: Numeric;
  currency: string;
  source: string;
  kind: string;
  received_at: DefaultTimestamp;
}

export interface LatestPricesTable {
  instrument_id: string;
  price: Numeric;
  currency: string;
  as_of: Timestamp;
  source: string;
  kind: string;
  previous_close: Numeric | null;
  updated_at: DefaultTimestamp;
}

export interface FxRatesTable {
  base: string;
  quote: string;
  rate: Numeric;
  as_of: Timestamp;
  source: string;
  updated_at: DefaultTimestamp;
}

export interface FxRateHistoryTable {
  base: string;
  quote: string;
  as_of: Timestamp;
  source: string;
  rate: Numeric;
  received_at: DefaultTimestamp;
}

export interface HeldPricesTable {
  id: Generated<string>;
  kind: string;
  instrument_id: string | null;
  currency: string | null;
  price_kind: string | null;
  base: string | null;
  quote: string | null;
  price: Numeric;
  previous_close: Numeric | null;
  as_of: Timestamp;
  source: string;
  reference_price: Numeric;
  reference_as_of: Timestamp;
  reason: string;
  status: ColumnType<string, string | undefined, string>;
  held_at: DefaultTimestamp;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
}

export interface ValuationSnapshotsTable {
  owner_id: string;
  taken_at: Timestamp;
  currency: string;
  market_value: Numeric;
  cost_basis: Numeric;
  realized_gain: ColumnType<Numeric, Numeric | undefined, Numeric>;
  day_change: Numeric | null;
}

export interface AlertRulesTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  instrument_id: string | null;
  account_id: string | null;
  threshold: Numeric;
  currency: string | null;
  active: Generated<boolean>;
  last_triggered_at: Timestamp | null;
  created_at: DefaultTimestamp;
  owner_id: string;
  direction: ColumnType<string, string | undefined, string>;
  window_seconds: number | null;
  hysteresis_percent: ColumnType<Numeric, Numeric | undefined, Numeric>;
  cooldown_seconds: ColumnType<number, number | undefined, number>;
  armed: Generated<boolean>;
  crossings: Generated<number>;
  version: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  rule_id: string | null;
  kind: string;
  payload: ColumnType<unknown, string | undefined, string>; // JSON text, as Json
  created_at: DefaultTimestamp;
  read_at: Timestamp | null;
  owner_id: string | null;
  message: ColumnType<string, string | undefined, string>;
  dedup_key: string | null;
}

export interface NotificationWebhooksTable {
  user_id: string;
  url: string;
  secret: string;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  notification_id: string;
  user_id: string;
  url: string;
  status: string;
  attempts: Generated<number>;
  last_error: string | null;
  lease_until: DefaultTimestamp;
  created_at: DefaultTimestamp;
  settled_at: Timestamp | null;
}

export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  at: DefaultTimestamp;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  request_id: string | null;
}

export interface Database {
  currencies: CurrenciesTable;
  users: UsersTable;
  advisor_clients: AdvisorClientsTable;
  refresh_tokens: RefreshTokensTable;
  api_clients: ApiClientsTable;
  accounts: AccountsTable;
  instruments: InstrumentsTable;
  instrument_identifiers: InstrumentIdentifiersTable;
  instrument_requests: InstrumentRequestsTable;
  transactions: TransactionsTable;
  holdings: HoldingsTable;
  price_history: PriceHistoryTable;
  latest_prices: LatestPricesTable;
  fx_rates: FxRatesTable;
  fx_rate_history: FxRateHistoryTable;
  held_prices: HeldPricesTable;
  valuation_snapshots: ValuationSnapshotsTable;
  alert_rules: AlertRulesTable;
  notifications: NotificationsTable;
  notification_webhooks: NotificationWebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  audit_log: AuditLogTable;
}

/** What every repository takes first: the database or a transaction on it. */
export type Db = Kysely<Database>;
