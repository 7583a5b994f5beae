// What the catalogue offers the rest of Accord: its listener of the lifecycle (server/system.ts), and what
// a standard is country by country on a day (the verification pages say it in the same words). Its own
// pages use store.ts (the in-memory catalogue and the search fields), subscriptions.ts and requirements.ts,
// which are its service layer.
export { catalogueListener, eventOf } from './events.js';
export { countryStatuses, statusPhrase, type CountryStatus } from './country-status.js';
