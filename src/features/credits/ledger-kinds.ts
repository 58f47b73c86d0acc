/** For client code: the ledger kinds are defined beside their table (a CHECK keeps the database to them). */
export { ledgerKinds, type LedgerKind } from "@/server/db/schema/ledger-kinds";
