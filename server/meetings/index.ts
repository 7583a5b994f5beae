// What the meetings feature offers the others (docs/architecture.md, import rules).
export { seesMeetings, editsMeetings, getMeeting, listMeetings } from './service.js';
export type { MeetingRecord } from './model.js';
