/** Base class of the notification lib's typed errors. */
export class NotificationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A value given to the lib is not acceptable (bad cursor, URL, limit...). */
export class InvalidNotificationInputError extends NotificationError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Referenced delivery does not exist. */
export class DeliveryNotFoundError extends NotificationError {
  constructor(readonly deliveryId: string) {
    super(`Delivery ${deliveryId} does not exist`);
  }
}

/**
 * One attempt to deliver failed; the delivery was recorded `failed` (it will be retried) or `dead`.
 * `responseCode` is the SMTP reply code or HTTP status when the other side answered.
 */
export class DeliveryAttemptError extends NotificationError {
  constructor(
    readonly deliveryId: string,
    readonly attempts: number,
    readonly status: 'failed' | 'dead',
    readonly responseCode: number | null,
    message: string,
  ) {
    super(`Delivery ${deliveryId} attempt ${attempts} ${status}: ${message}`);
  }
}
