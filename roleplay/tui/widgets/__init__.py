"""Widgets and renderables the screens share: the call as it is played, count boxes, the judgement question,
bar charts and block letters."""
