export * from './decimal.ts';
export * from './iso4217.ts';
export * from './rounding.ts';
export * from './money.ts';
export * from './parse.ts';
export * from './format.ts';
export * from './minor.ts';
export * from './allocate.ts';
