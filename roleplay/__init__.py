"""roleplay — 反诈来电演练: practise fake customer-service and courier scam calls in a terminal."""

__version__ = "0.1.0"
