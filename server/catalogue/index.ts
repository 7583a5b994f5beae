// What the catalogue offers the rest of Accord: its listener of the lifecycle (server/system.ts). Its own
// pages use store.ts (the in-memory catalogue and the search fields), subscriptions.ts and requirements.ts,
// which are its service layer.
export { catalogueListener, eventOf } from './events.js';
