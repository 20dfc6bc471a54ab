#pragma once
// QCustomPlot 2.1's header spells Qt's `signals` and `foreach` keywords, which this project hides
// with QT_NO_KEYWORDS (oneTBB's headers clash with Qt's `emit`). Include QCustomPlot only here.
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals
