export const calendarLocales = ["en", "de"] as const;
export type CalendarLocale = (typeof calendarLocales)[number];
export const calendarFormats = ["pdf", "png"] as const;
export type CalendarFormat = (typeof calendarFormats)[number];

/** A4 landscape in PostScript points (1/72 inch): the unit of the PDF and of the page layout. */
export const pageSize = { width: 841.89, height: 595.28 };

/** One thing drawn on a page, in points from the top left. Both the PDF and the PNG draw these. */
export type PageItem =
  | { kind: "photo"; x: number; y: number; width: number; height: number }
  | {
      kind: "text";
      text: string;
      x: number;
      y: number;
      size: number;
      bold: boolean;
      colour: string;
      align: "left" | "centre" | "right";
    }
  | { kind: "line"; x1: number; y1: number; x2: number; y2: number; thickness: number; colour: string };

export type CalendarMonth = { year: number; month: number /* 0-11 */ };

const margin = 32;
const photoHeight = 330;
const colours = { text: "#222222", muted: "#777777", sunday: "#b03a2e", rule: "#cccccc" };

/** Twelve consecutive months from firstMonth (1-12) of year, crossing into the next year if needed. */
export function calendarMonths(year: number, firstMonth: number): CalendarMonth[] {
  return Array.from({ length: 12 }, (_, i) => {
    const index = firstMonth - 1 + i;
    return { year: year + Math.floor(index / 12), month: index % 12 };
  });
}

/** Weeks start on Monday in Germany (DIN 1355) and on Sunday in the US-English convention. */
export function weekStartOf(locale: CalendarLocale): number {
  return locale === "de" ? 1 : 0;
}

export function monthName(locale: CalendarLocale, month: number): string {
  return new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" }).format(Date.UTC(2001, month, 1));
}

/** Short weekday names in display order, e.g. Mo … So for German ("Mo." without the dot). */
export function weekdayNames(locale: CalendarLocale): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  const start = weekStartOf(locale);
  // 1 January 2023 was a Sunday (weekday 0).
  return Array.from({ length: 7 }, (_, i) =>
    format.format(Date.UTC(2023, 0, 1 + ((start + i) % 7))).replace(/\.$/, ""),
  );
}

/** Where each day of the month sits: row and column of a 7-column grid starting at weekStart. */
export function monthGrid(year: number, month: number, weekStart: number) {
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const offset = (new Date(Date.UTC(year, month, 1)).getUTCDay() - weekStart + 7) % 7;
  const cells = Array.from({ length: days }, (_, i) => ({
    day: i + 1,
    row: Math.floor((offset + i) / 7),
    column: (offset + i) % 7,
  }));
  return { days, rows: Math.ceil((offset + days) / 7), cells };
}

/** One month's page: the photo on top, the month's name and year, then the grid. */
export function layoutMonthPage(target: CalendarMonth, locale: CalendarLocale): PageItem[] {
  const width = pageSize.width - 2 * margin;
  const columnWidth = width / 7;
  const weekStart = weekStartOf(locale);
  const sundayColumn = (7 - weekStart) % 7;
  const titleBaseline = margin + photoHeight + 36;
  const headerBaseline = titleBaseline + 26;
  const ruleY = headerBaseline + 8;
  // Six rows always fit, so every page has the same rhythm whatever the month.
  const rowHeight = (pageSize.height - margin - ruleY) / 6;
  const centreOf = (column: number) => margin + columnWidth * (column + 0.5);

  const items: PageItem[] = [
    { kind: "photo", x: margin, y: margin, width, height: photoHeight },
    {
      kind: "text",
      text: monthName(locale, target.month),
      x: margin,
      y: titleBaseline,
      size: 26,
      bold: true,
      colour: colours.text,
      align: "left",
    },
    {
      kind: "text",
      text: String(target.year),
      x: margin + width,
      y: titleBaseline,
      size: 26,
      bold: false,
      colour: colours.muted,
      align: "right",
    },
    { kind: "line", x1: margin, y1: ruleY, x2: margin + width, y2: ruleY, thickness: 0.75, colour: colours.rule },
  ];
  weekdayNames(locale).forEach((name, column) => {
    const colour = column === sundayColumn ? colours.sunday : colours.muted;
    items.push({
      kind: "text",
      text: name,
      x: centreOf(column),
      y: headerBaseline,
      size: 10,
      bold: true,
      colour,
      align: "centre",
    });
  });
  for (const cell of monthGrid(target.year, target.month, weekStart).cells) {
    items.push({
      kind: "text",
      text: String(cell.day),
      x: centreOf(cell.column),
      y: ruleY + rowHeight * (cell.row + 1) - rowHeight * 0.3,
      size: 14,
      bold: false,
      colour: cell.column === sundayColumn ? colours.sunday : colours.text,
      align: "centre",
    });
  }
  return items;
}

export function photoBoxOf(items: PageItem[]) {
  const photo = items.find((item) => item.kind === "photo");
  if (!photo || photo.kind !== "photo") throw new Error("a calendar page needs a photo box");
  return photo;
}
