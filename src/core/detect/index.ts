// Candidate detection (issue 15): feed items in, draft events and record matches out. Pure.
export { detectContact } from './detect.js';
export { groupDrafts, matchRecord, SAME_CONTACT_DAYS } from './group.js';
export { READ_LIMITS } from './text.js';
export type { Detection, Draft, DraftField, DraftParticipant, DraftSource, FeedItem, RecordMatch } from './types.js';
