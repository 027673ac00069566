from sscard.demo.guard import DemoCommand
from sscard.demo.people import demo_people, people_not_in_registry


class Command(DemoCommand):
    help = "Print one demo person per case (name and ID number) to try real-name binding with."

    def handle(self, *args, **options):
        seen = set()
        for person in demo_people() + people_not_in_registry()[:1]:
            if person.case in seen:
                continue
            seen.add(person.case)
            self.stdout.write(f"    {person.case:<20}\t{person.name:<8}\t{person.id_number}")
