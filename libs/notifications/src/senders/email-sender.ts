import { createTransport } from 'nodemailer';
import { InvalidNotificationInputError } from '../errors.js';
import { errorText, type SendOutcome } from './outcome.js';

export interface EmailSenderOptions {
  /** `smtp://` or `smtps://` URL (config SMTP_URL). */
  smtpUrl: string;
  /** Sender address (config MAIL_FROM). */
  from: string;
  /** Right-hand side of Message-IDs; the domain of `from` by default. */
  messageIdDomain?: string;
  /** Connection, greeting and socket timeouts; keep well under the delivery claim lease. */
  timeoutMs?: number;
}

export interface EmailMessage {
  notificationId: string;
  deliveryId: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

function smtpCode(e: unknown): number | null {
  if (typeof e === 'object' && e !== null && 'responseCode' in e) {
    const code = e.responseCode;
    if (typeof code === 'number') return code;
  }
  return null;
}

/**
 * Sends notification e-mails over SMTP (nodemailer). The Message-ID is derived from the notification
 * id, so should the at-least-once window ever produce a second copy, it carries the same Message-ID and
 * mail systems and people can recognise it as a duplicate.
 */
export class EmailSender {
  private readonly transport;
  private readonly domain: string;

  constructor(private readonly options: EmailSenderOptions) {
    const protocol = new URL(options.smtpUrl).protocol;
    if (protocol !== 'smtp:' && protocol !== 'smtps:') {
      throw new InvalidNotificationInputError('SMTP_URL', 'expected smtp:// or smtps://');
    }
    const timeout = options.timeoutMs ?? 30_000;
    this.domain = options.messageIdDomain ?? options.from.split('@').pop() ?? 'talent-engine';
    this.transport = createTransport(
      { url: options.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout },
      { from: options.from },
    );
  }

  static fromConfig(config: { SMTP_URL: string; MAIL_FROM: string }): EmailSender {
    return new EmailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  }

  messageIdFor(notificationId: string): string {
    return `<notification.${notificationId}@${this.domain}>`;
  }

  async send(message: EmailMessage): Promise<SendOutcome> {
    try {
      const info = await this.transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        messageId: this.messageIdFor(message.notificationId),
        headers: { 'X-Talent-Notification': message.notificationId, 'X-Talent-Delivery': message.deliveryId },
      });
      if (info.rejected.length > 0) {
        return { ok: false, responseCode: null, error: `recipient rejected: ${info.response}` };
      }
      const code = /^(\d{3})\b/.exec(info.response)?.[1];
      return { ok: true, responseCode: code ? Number(code) : null };
    } catch (e) {
      return { ok: false, responseCode: smtpCode(e), error: errorText(e) };
    }
  }

  close(): void {
    this.transport.close();
  }
}
