"""Signals for the rooms above: people cannot import them, they listen here."""

from django.dispatch import Signal

# Sent inside the transaction that registers a death (kwargs: resident, date, user), so a
# programme closes its enrolments and stops its reminders atomically with it.
resident_died = Signal()
# Sent inside the merge transaction (kwargs: survivor, duplicate, user).
residents_merged = Signal()
# Sent inside the transfer transaction (kwargs: resident, from_village, to_village codes).
resident_transferred = Signal()
# Sent inside the transaction that marks a resident moved out of the county or lost to
# follow-up (kwargs: resident, status, date), so programmes end their management too.
resident_left = Signal()
# Sent inside the merge transaction before any row moves (kwargs: survivor, duplicate, user),
# so a programme can end a duplicate management the survivor already has.
residents_merging = Signal()
