"""picco forecast: call volume per interval from history and a TV-spot schedule.

A baseline (weekly and intraday seasonality, holidays, level) times a campaign
response learned from past airings (a fast minutes-scale response plus a slow
carry-over of days), with negative binomial prediction intervals.
"""

from .backtest import backtest
from .campaign import CampaignResponse
from .model import CallForecaster
from .scenario import Scenario, load_scenario
from .spots import read_spots, validate_spots

__all__ = ["CallForecaster", "CampaignResponse", "Scenario", "backtest", "load_scenario",
           "read_spots", "validate_spots"]
