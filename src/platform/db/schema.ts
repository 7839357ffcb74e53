import type { TherapyCaseTables } from '../../cases/case-tables.ts';
import type { CustodyTables } from '../../custody/custody-tables.ts';
import type { PartnerTables } from '../../partners/partner-tables.ts';
import type { PatientTables } from '../../patients/patient-tables.ts';
import type { SchedulingTables } from '../../scheduling/scheduling-tables.ts';
import type { SignatureTables } from '../../signatures/signature-tables.ts';
import type { LedgerTables } from '../audit/ledger-tables.ts';
import type { AuthTables } from '../auth/auth-tables.ts';
import type { JobTables } from '../jobs/job-tables.ts';
import type { OutboxTables } from '../outbox/outbox-tables.ts';
import type { MigrationTables } from './migration-tables.ts';

/** The typed view of every table, composed from each capability's own declarations. */
export type Schema = MigrationTables &
  PartnerTables &
  LedgerTables &
  AuthTables &
  PatientTables &
  JobTables &
  OutboxTables &
  TherapyCaseTables &
  SchedulingTables &
  SignatureTables &
  CustodyTables;
