export interface OutgoingEmail {
  /** the message id; becomes the Message-ID header so a duplicate can be recognised downstream */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

/** The email channel; one implementation per vendor, chosen by config. */
export abstract class EmailSender {
  /** Resolves with the provider's message id once the provider accepted the message. */
  abstract send(email: OutgoingEmail): Promise<string | null>;
}
