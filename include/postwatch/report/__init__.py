"""What PostWatch sends to people: e-mail (mail.py) and, later, the daily digest."""
