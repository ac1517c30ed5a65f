"""From record to written document: compose, render, check, write; batches and PDF."""
