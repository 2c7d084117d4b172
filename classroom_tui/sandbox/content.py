"""What the simulated classes are made of: rooms, people, chat lines, courseware, widgets."""

from __future__ import annotations

# Rooms the simulation runs classes in (each new session gets a suffix such as " (2)").
SIMULATED_ROOMS = (
    "physics lab #2",
    "Math 101",
    "chem [A] 50%",
    "Q&A: week 3?",
    "art {B}|2",
)
# Rooms the simulation never touches: for people to start and end from the console.
# name -> number of seeded recordings ("biology archive" has three pages of them).
IDLE_ROOMS = {
    "demo room": 3,
    "office hours": 0,
    "biology archive": 250,
}
# Seeded recordings of the simulated rooms.
SIMULATED_ROOM_RECORDS = {
    "physics lab #2": 4,
    "Math 101": 2,
    "chem [A] 50%": 5,
    "Q&A: week 3?": 1,
    "art {B}|2": 0,
}

TEACHERS = (
    "Dr. Amelia Hart",
    "Mr. Kenji Watanabe",
    "Ms. Priya Raman",
    "Prof. Daniel Okafor",
    "Mrs. Elena Petrova",
    "Mr. Lucas Moreau",
)
STUDENTS = (
    "Olivia Chen",
    "Noah Patel",
    "Sofia Rossi",
    "Liam O'Brien",
    "Mia Nakamura",
    "Ethan Kim",
    "Ava Schmidt",
    "Lucas Silva",
    "Isabella Novak",
    "Mateo Garcia",
    "Chloe Dubois",
    "Arjun Mehta",
    "Hannah Weber",
    "Yusuf Demir",
    "Zoe Anderson",
    "Leo Lindqvist",
    "Aisha Bello",
    "Tomás Herrera",
    "Emma Johansson",
    "Ravi Iyer",
    "Grace Liu",
    "Jonas Becker",
    "Nora Haddad",
    "Samuel Adeyemi",
)
TEACHER_LINES = (
    "Good morning everyone, let's get started.",
    "Can everyone see my screen?",
    "Please open the slides on page {page}.",
    "Who can tell me the answer to question {page}?",
    "Great question, {student}!",
    "Let's take a two-minute break.",
    "I'll start a quick poll now.",
    "Remember the homework is due on Friday.",
    "{student}, could you unmute and explain your answer?",
    "Let's look at the next example together.",
    "Well done, that's exactly right.",
    "Any questions before we move on?",
)
STUDENT_LINES = (
    "Good morning!",
    "Yes, I can see it.",
    "Could you repeat the last part please?",
    "I think the answer is {page}.",
    "Sorry, my connection dropped for a second.",
    "Is this going to be on the test?",
    "Which page are we on?",
    "Thank you!",
    "I have a question about the homework.",
    "Can you share the slides after class?",
    "The audio is a bit choppy.",
    "Oh, that makes sense now.",
)
COURSEWARE = (
    "Lecture 3 - Optics.pdf",
    "Week 5 - Quadratic Equations.pptx",
    "Lab safety checklist.docx",
    "Periodic table (annotated).png",
    "Homework 4 - Solutions.pdf",
    "Reading - The Industrial Revolution.pdf",
    "Color theory basics.pptx",
    "Experiment video - titration.mp4",
)
WIDGETS = ("poll", "countdown", "answer-sheet", "popup-quiz")
POLL_QUESTIONS = (
    ("Which lens forms a real image?", ["Convex", "Concave", "Both", "Neither"]),
    ("How many solutions does x^2 = 4 have?", ["0", "1", "2", "Infinitely many"]),
    ("Was today's pace OK?", ["Too slow", "Just right", "Too fast"]),
    ("Which element is a noble gas?", ["Neon", "Sodium", "Iron", "Carbon"]),
)
HAND_RAISE_REASONS = ("question", "answer", "audio problem", "share screen")
