"""What tells development data from real data: the e-mail domains of the
demo's and the synthetic accounts. Both seeders refuse a database holding
other accounts (RealDataPresent) unless forced."""

DEMO_DOMAIN = "demo.mobilis.example"
SYNTHETIC_DOMAIN = "synthetic.mobilis.example"


class RealDataPresent(Exception):
    def __init__(self, count):
        super().__init__(count)
        self.count = count


def demo_email(local_part):
    return f"{local_part}@{DEMO_DOMAIN}"
