"""The shipped methodologies, one module per family."""

from jcm.mrv.core.methodologies import cement_whr, chillers, cop_ratio, led, pv, transmission
from jcm.mrv.core.spec import Methodology

ALL: tuple[Methodology, ...] = (
    *pv.METHODOLOGIES,
    *chillers.METHODOLOGIES,
    *cop_ratio.METHODOLOGIES,
    *led.METHODOLOGIES,
    *cement_whr.METHODOLOGIES,
    *transmission.METHODOLOGIES,
)
