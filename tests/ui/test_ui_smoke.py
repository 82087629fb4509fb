def test_smoke(window):
    assert window.patients_view.model.rowCount() == 8
