import pytest
from libraries.forms import LibraryForm
from libraries.models import Library
pytestmark = pytest.mark.django_db
def test_x(scenario):
    f = LibraryForm(data={"name": "", "kind": "", "province": "", "regency": "", "village": "", "address": ""}, user=scenario.users["national"])
    orig = Library.validate_constraints
    def spy(self, exclude=None):
        print("EXCLUDE", sorted(exclude or []))
        for c in self._meta.constraints:
            try:
                c.validate(Library, self, exclude=exclude)
            except Exception as e:
                print("CONSTRAINT", c.name, type(e).__name__, str(e)[:80])
        return orig(self, exclude=exclude)
    Library.validate_constraints = spy
    try:
        f.is_valid()
    finally:
        Library.validate_constraints = orig
