#pragma once

#include <QObject>

namespace okh {

class MainWindow;
class StandinHost;

// `okhealth --demo`: the window watches the stand-in deployment. Adds the Demo menu, says in
// the overview and the status bar what is being started, opens the deployment file when every
// server answers (not remembered in Open Recent: it is a temp file) and reports a start that
// failed in the server's own words.
class DemoMode : public QObject
{
    Q_OBJECT
public:
    DemoMode(MainWindow& window, StandinHost& host);

    void start();

private:
    MainWindow& m_window;
    StandinHost& m_host;
};

} // namespace okh
