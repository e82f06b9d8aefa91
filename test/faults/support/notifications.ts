import { createEnvelope, NotificationQueues, UserRegisteredV1 } from '@app/contracts';
import { verificationCodeEvents, type Portal } from '@app/testing';
import { Queue } from 'bullmq';
import { mailCounts } from './mail';

/** Security emails (verification codes): one per user, sent whatever the preferences, to `<run>.faults.example`. */
export function codeEvents(run: string, count: number) {
  return verificationCodeEvents(run, count, (i) => `u${i}@${run}.faults.example`);
}

export function userRegistered(run: string, i: number) {
  const userId = `u-${run}-${i}`;
  return createEnvelope({
    type: UserRegisteredV1.type,
    version: 1,
    key: userId,
    source: 'faults',
    data: { ...UserRegisteredV1.example, userId, username: `user${i}${run}`, email: `u${i}@${run}.faults.example` },
  });
}

/** How many emails each recipient of this run got, per subject. */
export function runMail(mailpitUrl: string, run: string) {
  return mailCounts(mailpitUrl, (address) => address.endsWith(`@${run}.faults.example`));
}

export function total(counts: Map<string, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

/** BullMQ's view of the email queue of a portal (its Redis prefix), e.g. `{ active: 3, completed: 10 }`. */
export async function emailJobCounts(portal: Portal, redisUrl = portal.env.REDIS_URL) {
  const url = new URL(redisUrl);
  const queue = new Queue(NotificationQueues.Email, {
    connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null },
    prefix: `${portal.env.REDIS_PREFIX}bull`,
  });
  try {
    return await queue.getJobCounts('active', 'waiting', 'delayed', 'completed', 'failed', 'prioritized');
  } finally {
    await queue.close();
  }
}
