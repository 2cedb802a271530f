"""picco forecast: call volume per interval from history and a TV-spot schedule.

The forecasting engine is being built; the package is declared now so that the
data contracts (``forecast.schema``) are shared from the start.
"""
