"""The workshop presenter's screens, projected for a room: setup, the agenda, the pre- and post-test, calls
played by the room, their debrief, and the workshop's report."""
