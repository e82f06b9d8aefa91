/** The index behind every owner's paged list (labels, pickups, orders): filter by user, newest first. */
export const OWNER_LIST_INDEX = { userId: 1, createdAt: -1, _id: -1 } as const;
