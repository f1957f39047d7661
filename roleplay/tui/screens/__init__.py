"""The trainer's screens: home, ringing, call, judgement, debrief, help, problems."""
