import {
  ActionIcon,
  AppShell,
  Badge,
  Group,
  NavLink,
  Text,
  Title,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core'
import {
  IconCamera,
  IconDeviceDesktopDown,
  IconDeviceSdCard,
  IconFolderShare,
  IconListCheck,
  IconMoon,
  IconStack2,
  IconSun,
  IconTool,
  IconUsb,
  type Icon,
} from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { useClient } from './client-context'
import { useJobs } from './hooks/use-jobs'
import { CapturePage } from './pages/CapturePage'
import { DrivesPage } from './pages/DrivesPage'
import { EnvironmentPage } from './pages/EnvironmentPage'
import { ImagesPage } from './pages/ImagesPage'
import { JobsPage } from './pages/JobsPage'
import { MediaPage } from './pages/MediaPage'
import { PendingEnginePage } from './pages/PendingEnginePage'
import { ROUTE_TITLES, ROUTES, type Route } from './route-ids'
import { useRoute } from './routes'

interface PageDef {
  icon: Icon
  render: () => ReactNode
}

const PAGES: Record<Route, PageDef> = {
  drives: { icon: IconDeviceSdCard, render: () => <DrivesPage /> },
  images: { icon: IconStack2, render: () => <ImagesPage /> },
  media: { icon: IconUsb, render: () => <MediaPage /> },
  capture: { icon: IconCamera, render: () => <CapturePage /> },
  deploy: {
    icon: IconDeviceDesktopDown,
    render: () => (
      <PendingEnginePage
        title={ROUTE_TITLES.deploy}
        missing="an NTFS Windows partition in the Windows disk layout, and boot files set up from the applied image (what bcdboot does). WIM apply to a folder is there, on the Images page"
        plans={['Partition a disk (UEFI or BIOS), apply an image, add drivers and make it boot — offline, on one machine']}
      />
    ),
  },
  share: {
    icon: IconFolderShare,
    render: () => (
      <PendingEnginePage
        title={ROUTE_TITLES.share}
        missing="the deployment share"
        plans={['Operating systems, drivers, applications, task sequences and rules, and boot media built from them']}
      />
    ),
  },
  jobs: { icon: IconListCheck, render: () => <JobsPage /> },
  environment: { icon: IconTool, render: () => <EnvironmentPage /> },
}

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme()
  const computed = useComputedColorScheme('light')
  const next = computed === 'dark' ? 'light' : 'dark'
  return (
    <Tooltip label={`Switch to ${next} theme`}>
      <ActionIcon variant="default" size="lg" aria-label={`Switch to ${next} theme`} onClick={() => setColorScheme(next)}>
        {computed === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  )
}

export function App() {
  const client = useClient()
  const [route, navigate] = useRoute()
  const { jobs } = useJobs()
  const running = jobs.filter((j) => j.state === 'running').length
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'xs' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <IconStack2 size={24} stroke={1.6} />
            <Title order={4}>Imaging Workstation</Title>
          </Group>
          <Group gap="sm">
            {running > 0 && (
              <Badge color="blue" variant="light" style={{ cursor: 'pointer' }} onClick={() => navigate('jobs')}>
                {running} job{running === 1 ? '' : 's'} running
              </Badge>
            )}
            <Badge variant="outline" color="gray" data-testid="transport-badge">
              {client.transport === 'electron' ? 'Desktop' : `Browser · ${window.location.host}`}
            </Badge>
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow>
          {ROUTES.map((id) => {
            const page = PAGES[id]
            const Icon = page.icon
            return (
              <NavLink
                key={id}
                href={`#/${id}`}
                label={ROUTE_TITLES[id]}
                active={route === id}
                leftSection={<Icon size={18} stroke={1.6} />}
                rightSection={
                  id === 'jobs' && running > 0 ? (
                    <Badge size="xs" circle>
                      {running}
                    </Badge>
                  ) : undefined
                }
                data-testid={`nav-${id}`}
                style={{ borderRadius: 'var(--mantine-radius-sm)' }}
              />
            )
          })}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" pb="xs">
            Engine runs {client.transport === 'electron' ? 'in this app' : 'in the headless server'}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>{PAGES[route].render()}</AppShell.Main>
    </AppShell>
  )
}
