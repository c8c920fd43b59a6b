// The calendar that needs no API: follow-ups and check-ins are published as an
// iCalendar feed (see server/feed.ts) that any calendar app subscribes to. The
// reminders table is the calendar; creating an event is naming it, and deleting
// one is done by the feed, which lists it as cancelled.
import type { AccountRef, CalendarEventSpec, CalendarProvider } from "../../core/ports";

export function feedCalendar(opts: { inline?: boolean } = {}): CalendarProvider {
  return {
    // The outbox needs no call for these (see CalendarProvider.inline). The crash
    // tests turn this off, to have the outbox make its calls all the same.
    inline: opts.inline ?? true,
    async createEvent(_account: AccountRef, event: CalendarEventSpec) {
      return { eventId: event.key };
    },
    async deleteEvent() {},
  };
}
