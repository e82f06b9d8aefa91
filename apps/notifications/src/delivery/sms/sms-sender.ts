export interface OutgoingSms {
  id: string;
  /** E.164 */
  to: string;
  body: string;
}

/** The SMS channel; one implementation per vendor, chosen by config. */
export abstract class SmsSender {
  /** Resolves with the provider's message id once the provider accepted the message. */
  abstract send(sms: OutgoingSms): Promise<string | null>;
}
