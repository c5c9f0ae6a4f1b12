export { Compat, compat, seedCompat, strictCompat } from './seed-compat';
