// Dates and sizes as Vietnamese readers expect them: dd/MM/yyyy, Vietnam time.

const VIETNAM_TIME = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant (ISO 8601 with zone) as "dd/MM/yyyy HH:mm" in Vietnam time. */
export function formatInstant(iso: string | null): string {
  if (iso === null || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    VIETNAM_TIME.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
}

/** A calendar date ("2026-12-01") as "01/12/2026"; no time zone applies. */
export function formatDate(date: string | null): string {
  if (date === null || date === '') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m === null ? date : `${m[3]}/${m[2]}/${m[1]}`;
}

const DECIMAL = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** A file size in bytes, e.g. "1,2 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${DECIMAL.format(bytes / 1024)} KB`;
  return `${DECIMAL.format(bytes / (1024 * 1024))} MB`;
}

const VIETNAM_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's calendar date in Vietnam, "2026-12-01", comparable with the API's dates as text. */
export function todayInVietnam(now: Date = new Date()): string {
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    VIETNAM_DAY.formatToParts(now).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
