const won = new Intl.NumberFormat('ko-KR', { style: 'currency', currency: 'KRW' });
export const formatPrice = (amount: number | null | undefined) =>
  amount === null || amount === undefined ? '—' : won.format(amount);

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

/** hh:mm:ss.mmm: the steps of a saga are milliseconds apart. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : `${clock.format(at)}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

export const formatDateTime = (iso: string | null | undefined) =>
  iso && !Number.isNaN(Date.parse(iso)) ? dateTime.format(new Date(iso)) : '—';
