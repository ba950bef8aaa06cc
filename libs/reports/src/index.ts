export * from './ledger';
export * from './report-input';
export * from './import-reports';
export { ReportsModule } from './reports.module';
export * from './claim-examples';
export * from './branch-registry';
