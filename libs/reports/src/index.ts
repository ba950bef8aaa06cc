// The write side, framework-free: the one write loop, the ledger of reports, the branch registry, the import.
export * from './command-handler';
export * from './event-ids';
export * from './ledger/ledger';
export * from './branches/branch-registry';
export * from './import/import-reports';
export * from './import/import-transfermarkt';
export * from './import/transfermarkt-reports';
export {
  readTransfermarktDirectory,
  TransfermarktDirectoryError,
  type HistoryFilter,
  type TransfermarktHistory,
} from './import/transfermarkt';
// The edge: class-validator DTOs of the report contract (HTTP and CLI), examples, the Nest module.
export * from './http/report-input';
export * from './http/claim-examples';
export { ReportsModule } from './nest/reports.module';
