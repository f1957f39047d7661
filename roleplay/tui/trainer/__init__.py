"""The trainee's screens: home, the ringing phone, the call, the debrief, progress, help, joining a workshop
and the scenario files that did not load."""
