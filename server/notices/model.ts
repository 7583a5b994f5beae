import { Schema, mongoose } from '../db/mongoose.js';

/** Each notice (reminder, period opened…) is recorded before it is sent, so it goes out once. */
const noticeSchema = new Schema({ key: { type: String, required: true, unique: true }, at: Date }, { versionKey: false });
export const NoticeLog = mongoose.model('NoticeLog', noticeSchema);
