import { MailpitClient, waitFor } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import { SmtpEmailSender } from '../src/delivery/email/smtp-email-sender';

/** A port nothing listens on: taken from the OS, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('SmtpEmailSender on the real Mailpit', () => {
  const senders: SmtpEmailSender[] = [];
  const sender = (url: string) => {
    const s = new SmtpEmailSender({ url, from: 'Postal Portal <no-reply@portal.example>', connections: 3 });
    senders.push(s);
    return s;
  };

  afterAll(() => {
    for (const s of senders) s.onApplicationShutdown();
  });

  it('delivers many concurrent emails over its pooled connections, each with its Message-ID', async () => {
    const smtp = sender(process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025');
    const run = randomUUID().slice(0, 8);
    const to = `pool-${run}@example.com`;
    const ids = Array.from({ length: 20 }, (_, i) => `msg-${run}-${i}`);

    const accepted = await Promise.all(
      ids.map((id, i) => smtp.send({ id, to, subject: `pool ${run} #${i}`, text: `body ${i}`, html: null })),
    );
    expect(accepted).toEqual(ids.map((id) => `<${id}@notifications.postal-portal>`));

    const mailpit = new MailpitClient();
    const received = await waitFor(
      async () => {
        const messages = await mailpit.messages(to);
        return messages.length >= ids.length ? messages : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'all 20 emails in Mailpit' },
    );
    expect(received.map((m) => m.MessageID).sort()).toEqual(
      ids.map((id) => `${id}@notifications.postal-portal`).sort(),
    );
  });

  it('fails a send at once when the relay is down, without retrying on its own', async () => {
    const smtp = sender(`smtp://127.0.0.1:${await closedPort()}`);
    const t0 = Date.now();
    await expect(
      smtp.send({ id: `down-${randomUUID()}`, to: 'down@example.com', subject: 'down', text: 'x', html: null }),
    ).rejects.toThrow();
    // Refused connections fail well inside the 5 s connection timeout: BullMQ decides about retries.
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
