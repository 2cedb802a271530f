"""A fitted `CallForecaster` as JSON: everything needed to predict, and back."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import schema as S
from .baseline import BaselineConfig, BaselineFit
from .calendar import Calendar
from .campaign import CampaignResponse
from .model_schema import check_model
from .spots import validate_spots

if TYPE_CHECKING:
    from .model import CallForecaster

FORMAT = "picco.forecaster/1"  # the "format" field of a saved model


def model_to_dict(model: CallForecaster) -> dict:
    """Everything a fitted ``model`` needs to predict, as JSON-ready data.

    Raises
    ------
    ValueError
        If ``model`` is not fitted.
    """
    model._check_fitted()
    assert model.baseline_ is not None and model.response is not None
    return {"format": FORMAT, "tz": model.tz, "country": model.country,
            "fit_saturation": model.fit_saturation, "holidays_closed": model.holidays_closed,
            "baseline_config": vars(model.baseline_.config),
            "baseline": model.baseline_.to_dict(),
            "response": json.loads(model.response.to_json()),
            "history_end": model.history_end_.isoformat(),
            "calendar": model.calendar_.report() if model.calendar_ else None,
            "spots": [{"start": s.isoformat(), "channel": c, "grp": g}
                      for s, c, g in zip(model.spots_[S.START], model.spots_[S.CHANNEL],
                                         model.spots_[S.GRP], strict=True)]}


def json_ready(value):
    """``value`` with every NaN or infinity as None (null): strict JSON has neither.

    Examples
    --------
    >>> json_ready({"se": float("nan"), "rows": [1.5, float("inf")]})
    {'se': None, 'rows': [1.5, None]}
    """
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):  # NumPy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def save_model(model: CallForecaster, path: str | Path) -> None:
    """Write the fitted ``model`` as strict JSON to ``path`` (NaN is written as null)."""
    Path(path).write_text(json.dumps(json_ready(model.to_dict()), indent=1, allow_nan=False))


def load_model(cls: type[CallForecaster], path: str | Path) -> CallForecaster:
    """Read a model written by `save_model`, as an instance of ``cls``.

    The content is checked field by field (`forecast.model_schema`), so that a hand edit
    that breaks the model is refused on load, not met later as a wrong forecast.

    Raises
    ------
    ValueError
        If the file cannot be read, is not a picco forecaster file, or a field is missing,
        unknown or out of range (naming the field and its value).
    """
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read model file {str(path)!r}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{str(path)!r} is not a picco forecaster file")
    try:
        check_model(data)
        return cls.from_dict(data)
    except ValueError as exc:
        raise ValueError(f"model file {str(path)!r}: {exc}") from None
    except (KeyError, TypeError) as exc:
        raise ValueError(f"model file {str(path)!r} is incomplete or damaged: {exc}") from None


def model_from_dict(cls: type[CallForecaster], data: dict) -> CallForecaster:
    """Rebuild a model of class ``cls`` from `model_to_dict` output."""
    model = cls(tz=data["tz"], country=data["country"],
                baseline=BaselineConfig(**data["baseline_config"]),
                fit_saturation=data["fit_saturation"],
                holidays_closed=data.get("holidays_closed"))
    model.baseline_ = BaselineFit.from_dict(data["baseline"], model.baseline_config)
    saved = data.get("calendar")  # files from before the learned calendar have none
    model.calendar_ = Calendar.from_report(saved) if saved else Calendar(
        data["tz"], "saved model", data["country"], "saved model")
    model.response = CampaignResponse.from_json(json.dumps(data["response"]))
    model.history_end_ = pd.Timestamp(data["history_end"]).tz_convert(model.tz)
    model.spots_ = validate_spots(pd.DataFrame(data["spots"], columns=["start", "channel", "grp"]),
                                  tz=model.tz) if data["spots"] else validate_spots(None, tz=model.tz)
    return model
