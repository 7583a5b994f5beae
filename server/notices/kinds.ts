/** The kinds of e-mail notice Accord sends; each person may turn any of them off. */
export const noticeKinds = ['periodOpened', 'periodClosed', 'awaitingRelease', 'positionReleased', 'reminder', 'catalogue', 'digest', 'lateReport'] as const;
export type NoticeKind = (typeof noticeKinds)[number];
