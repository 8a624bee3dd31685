# placeholder: written by the benchmark work
