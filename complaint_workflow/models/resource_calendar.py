from datetime import datetime, time, timedelta

import pytz

from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _complaint_midnight(self, moment, days=0):
        """Midnight that starts the day of ``moment`` (naive UTC or aware), plus
        ``days``, in the calendar's time zone; an aware datetime."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        if not moment.tzinfo:
            moment = pytz.utc.localize(moment)
        day = moment.astimezone(tz).date() + timedelta(days=days)
        return tz.localize(datetime.combine(day, time.min))

    def _complaint_plan_working_days(self, start, days):
        """End of the ``days``-th working day after the day of ``start`` (naive
        UTC), leaves skipped; a fraction of a day is planned in hours of the
        working day. A naive UTC datetime, False when the calendar has no time."""
        self.ensure_one()
        whole = int(days)
        fraction = days - whole
        deadline = start
        if whole:
            last_day = self.plan_days(
                whole, self._complaint_midnight(start, days=1), compute_leaves=True
            )
            if not last_day:
                return False
            # plan_days stops after the first period of the last day (the morning):
            # the deadline is the end of that working day
            deadline = self._complaint_end_of_working_day(last_day)
        if fraction:
            deadline = self.plan_hours(
                fraction * (self.hours_per_day or 8.0), deadline, compute_leaves=True
            )
        return deadline

    def _complaint_end_of_working_day(self, moment):
        """End of the last attendance on the day of ``moment`` (aware), at least
        ``moment``; a naive UTC datetime. Reads the attendances already in cache
        rather than planning the day again."""
        self.ensure_one()
        midnight = self._complaint_midnight(moment)
        day = midnight.date()
        week_type = self.two_weeks_calendar and str(
            self.env["resource.calendar.attendance"].get_week_type(day)
        )
        hours = [
            attendance.hour_to
            for attendance in self.attendance_ids
            if attendance.dayofweek == str(day.weekday())
            and not attendance.display_type
            and not attendance.resource_id
            and attendance.day_period != "lunch"
            and (not week_type or attendance.week_type == week_type)
            and not (attendance.date_from and day < attendance.date_from)
            and not (attendance.date_to and attendance.date_to < day)
        ]
        tz = pytz.timezone(self.tz or "UTC")
        naive_midnight = midnight.replace(tzinfo=None)
        ends = [tz.localize(naive_midnight + timedelta(hours=hour)) for hour in hours]
        return max([moment, *ends]).astimezone(pytz.utc).replace(tzinfo=None)

    def _complaint_work_days_between(self, start, end):
        """Working days after the day of ``start`` up to ``end`` (naive UTC),
        counted as ``_complaint_plan_working_days`` counts them."""
        self.ensure_one()
        intervals = self._work_intervals_batch(
            self._complaint_midnight(start, days=1), pytz.utc.localize(end)
        )[False]
        return len({interval_start.date() for interval_start, _stop, _meta in intervals})
