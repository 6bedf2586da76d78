import { MongoClient } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import type {
  AccountDoc,
  BilledSnapshotDoc,
  BillingUnitDoc,
  CdrDoc,
  ChargeIntentDoc,
  GatewayChargeDoc,
  InventoryDoc,
  InvoiceDoc,
  JobRunDoc,
  LedgerEntryDoc,
  MailLogDoc,
  PlanAssignmentDoc,
  QuantitiesDoc,
  ReportAccountDoc,
  ReportRequestDoc,
  ServicePlanDoc,
  UnitNumberDoc,
} from './documents';

export interface Collections {
  accounts: Collection<AccountDoc>;
  servicePlans: Collection<ServicePlanDoc>;
  planAssignments: Collection<PlanAssignmentDoc>;
  inventory: Collection<InventoryDoc>;
  quantities: Collection<QuantitiesDoc>;
  ledger: Collection<LedgerEntryDoc>;
  invoices: Collection<InvoiceDoc>;
  cdrs: Collection<CdrDoc>;
  reportRequests: Collection<ReportRequestDoc>;
  reportAccounts: Collection<ReportAccountDoc>;
  jobRuns: Collection<JobRunDoc>;
  chargeIntents: Collection<ChargeIntentDoc>;
  gatewayCharges: Collection<GatewayChargeDoc>;
  mailLog: Collection<MailLogDoc>;
  billedSnapshots: Collection<BilledSnapshotDoc>;
  billingUnits: Collection<BillingUnitDoc>;
  unitNumbers: Collection<UnitNumberDoc>;
}

export const COLLECTION_NAMES: { [K in keyof Collections]: string } = {
  accounts: 'accounts',
  servicePlans: 'service_plans',
  planAssignments: 'plan_assignments',
  inventory: 'inventory',
  quantities: 'quantities',
  ledger: 'ledger',
  invoices: 'invoices',
  cdrs: 'cdrs',
  reportRequests: 'report_requests',
  reportAccounts: 'report_accounts',
  jobRuns: 'job_runs',
  chargeIntents: 'charge_intents',
  gatewayCharges: 'gateway_charges',
  mailLog: 'mail_log',
  billedSnapshots: 'billed_snapshots',
  billingUnits: 'billing_units',
  unitNumbers: 'unit_numbers',
};

export interface Store extends Collections {
  db: Db;
  close(): Promise<void>;
}

function collections(db: Db): Collections {
  const entries = Object.entries(COLLECTION_NAMES).map(([key, name]) => [key, db.collection<Document>(name)] as const);
  return Object.fromEntries(entries) as unknown as Collections;
}

/** Connects with the official driver; no sessions or transactions are used, so any MongoDB wire server will do. */
export async function openStore(uri: string, dbName: string): Promise<Store> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, ignoreUndefined: true });
  await client.connect();
  const db = client.db(dbName);
  return { db, ...collections(db), close: () => client.close() };
}
