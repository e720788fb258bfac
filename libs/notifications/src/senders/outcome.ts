/** What one transport attempt came to; the delivery service records it. */
export interface SendOutcome {
  ok: boolean;
  /** SMTP reply code or HTTP status when the other side answered. */
  responseCode: number | null;
  /** Why it failed (short, no secrets). */
  error?: string;
}

export function errorText(e: unknown, max = 500): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
