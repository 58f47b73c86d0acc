import { describe, expect, it } from "vitest";
import { calendarMonths, layoutMonthPage, monthGrid, monthName, pageSize, weekdayNames } from "./calendar-layout";

describe("calendar layout", () => {
  it("names months and weekdays in English and German, weeks from Sunday and Monday", () => {
    expect(monthName("en", 2)).toBe("March");
    expect(monthName("de", 2)).toBe("März");
    expect(monthName("de", 11)).toBe("Dezember");
    expect(weekdayNames("en")).toEqual(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]);
    expect(weekdayNames("de")).toEqual(["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]);
  });

  it("places the days: 1 March 2026 is a Sunday, February 2028 has 29 days", () => {
    const marchDe = monthGrid(2026, 2, 1);
    expect(marchDe.cells[0]).toEqual({ day: 1, row: 0, column: 6 });
    expect(marchDe.rows).toBe(6);
    const marchEn = monthGrid(2026, 2, 0);
    expect(marchEn.cells[0]).toEqual({ day: 1, row: 0, column: 0 });
    expect(marchEn.rows).toBe(5);
    expect(monthGrid(2028, 1, 1).days).toBe(29);
    expect(monthGrid(2100, 1, 1).days).toBe(28); // not a leap year
  });

  it("runs twelve months from the first month across the year boundary", () => {
    const months = calendarMonths(2026, 11);
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ year: 2026, month: 10 });
    expect(months[2]).toEqual({ year: 2027, month: 0 });
    expect(months[11]).toEqual({ year: 2027, month: 9 });
    expect(calendarMonths(2030, 1).every((m) => m.year === 2030)).toBe(true);
  });

  it("lays out a page inside the sheet: photo, title, year, weekdays and every day", () => {
    const items = layoutMonthPage({ year: 2027, month: 1 }, "de");
    const texts = items.flatMap((item) => (item.kind === "text" ? [item.text] : []));
    expect(texts.slice(0, 2)).toEqual(["Februar", "2027"]);
    expect(texts).toContain("So");
    expect(texts.filter((t) => /^\d+$/.test(t) && Number(t) <= 31)).toHaveLength(28);
    for (const item of items) {
      const [x, y] = item.kind === "line" ? [item.x2, item.y2] : [item.x, item.y];
      expect(x).toBeLessThanOrEqual(pageSize.width);
      expect(y + (item.kind === "photo" ? item.height : 0)).toBeLessThan(pageSize.height - 20);
    }
  });
});
