/** A provider refused the message for good (bad address, rejected content): retrying cannot help. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
