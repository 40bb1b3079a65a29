// Recipients and processors (PROMISES P13), by concern: what is planned (notice-plan.ts), how it is sent and
// tracked (notice-delivery.ts), and the sweep that sends again what stays unacknowledged (notice-sweep.ts).
export * from './notice-delivery.ts';
export * from './notice-plan.ts';
export * from './notice-sweep.ts';
